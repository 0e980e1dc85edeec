/** Path to the Chromium binary: $CHROME_PATH, else Debian's /usr/bin/chromium; undefined when neither exists. */
export declare function findChromium(): string | undefined;
/** Flags for a closed network (and WebGPU when asked). */
export declare function chromiumArgs(options?: { webgpu?: boolean }): string[];
