// Where the server's structured logs go: pino in main.ts, a silent or capturing object in tests.

export interface Logger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}
