/** What the host page says about its cross-origin isolation, which decides the Wasm engine's threads. */
export interface IsolationReport {
  isolated: boolean;
  text: string;
}

/**
 * Whether this page is cross-origin isolated (the server's COOP/COEP headers) and what that means
 * for in-browser models: several threads when it is, one when it is not.
 */
export function isolationReport(
  scope: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } } = globalThis,
): IsolationReport {
  if (scope.crossOriginIsolated !== true)
    return {
      isolated: false,
      text: 'Not cross-origin isolated: in-browser models run on 1 thread.',
    };
  const cores = scope.navigator?.hardwareConcurrency ?? 1;
  return {
    isolated: true,
    text: `Cross-origin isolated: in-browser models may use several threads (this device has ${String(cores)}).`,
  };
}
