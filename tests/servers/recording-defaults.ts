// Shared by the recording server (Node) and the browser tests that read what it
// answered.

/** The reply a recording-server session gives unless scripted otherwise. */
export const RECORDED_REPLY = 'Noted: the recording server heard you.';
