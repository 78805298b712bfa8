// When a build uses threads (the analysis pool, analyze-pool.ts, and the gram layout, gram-encode.ts): below this
// many paragraphs, starting a thread costs more than it saves, and the work stays on the main thread.
export const THREADED_BUILD_MINIMUM = 5000;
