// Browser tests' handle on the recording server
// (tests/servers/recording-server.ts), which the WTR plugin starts on its own
// port: each test takes a fresh session and reads back what the engine sent.
import { executeServerCommand } from '@web/test-runner-commands';
import type { RecordedCall, SessionScript } from '../servers/recording-server.js';

export type { RecordedCall, SessionScript };

/** A chat message as the OpenAI wire format carries it. */
export interface WireMessage {
  role: string;
  content: string;
}

export interface RecordingSession {
  /** The OpenAI-compatible base URL to give an engine. */
  baseURL: string;
  /** Every call of this session so far, oldest first. */
  calls(): Promise<RecordedCall[]>;
  /** The chat-completion requests' bodies, oldest first. */
  chatRequests(): Promise<Record<string, unknown>[]>;
  /** Sets the session's reply, pace and scripted failures. */
  script(script: SessionScript): Promise<void>;
}

let origin: Promise<string> | undefined;

/** A fresh session on the recording server. */
export async function recordingSession(name = 'chat'): Promise<RecordingSession> {
  origin ??= executeServerCommand<{ url: string }, undefined>('recording-server').then((answer) => answer.url);
  const base = `${await origin}/${name}-${Math.random().toString(36).slice(2)}`;
  const calls = async () => (await (await fetch(`${base}/log`)).json()) as RecordedCall[];
  return {
    baseURL: `${base}/v1`,
    calls,
    chatRequests: async () =>
      (await calls()).filter((call) => call.path.endsWith('/chat/completions')).map((call) => call.body),
    script: async (script) => {
      await fetch(`${base}/script`, {
        method: 'POST',
        body: JSON.stringify(script),
      });
    },
  };
}

/** `role: content` lines of a request's messages, easy to compare and to read in a failure. */
export function wireLines(body: Record<string, unknown> | undefined): string[] {
  return ((body?.['messages'] ?? []) as WireMessage[]).map((message) => `${message.role}: ${message.content}`);
}
