// Types for build-nodejieba.mjs, which stays plain JavaScript because it runs before anything is compiled.
export interface NodejiebaPaths {
  readonly root: string;
  readonly sources: readonly string[];
  readonly binary: string;
  readonly stamp: string;
}
export interface BuildStamp {
  readonly sourcesSha256: string;
  readonly binarySha256: string;
}
export declare const PATCHED_SOURCE_MARKER: string;
export declare function nodejiebaPaths(root?: string): NodejiebaPaths;
export declare function patchedVersion(patchDir?: string): string;
export declare function currentStamp(paths: NodejiebaPaths): BuildStamp;
export declare function rebuildReason(paths: NodejiebaPaths): string | null;
