import type { ChatTree, Provenance } from '@ai-blocks/persistence';
import type { ChatMessage } from '@ai-blocks/runtime';

/** One message of the conversation as the block shows it, saved or not yet. */
export interface ThreadNode {
  /** Stable across saving: the client id (or, for messages written by others, the entity id). */
  key: string;
  role: 'user' | 'assistant';
  text: string;
  provenance: Provenance;
  parentKey: string | undefined;
  childKeys: string[];
  /** Known to be in the graph. */
  saved: boolean;
}

/** The conversation tree: several roots or several children of one node are sibling branches. */
export interface Thread {
  rootKeys: string[];
  nodes: Map<string, ThreadNode>;
}

/** Where the path starts: the choice among root messages is stored under this key. */
export const ROOT = '';

/** The tree read from the graph, keyed by client id where there is one. */
export function threadFromTree(tree: ChatTree): Thread {
  const keyOf = (entityId: string): string => tree.messages.get(entityId)?.clientId ?? entityId;
  const nodes = new Map<string, ThreadNode>();
  for (const message of tree.messages.values()) {
    nodes.set(keyOf(message.entityId), {
      key: keyOf(message.entityId),
      role: message.role,
      text: message.text,
      provenance: message.provenance,
      parentKey: message.parentId === undefined ? undefined : keyOf(message.parentId),
      childKeys: message.childIds.map(keyOf),
      saved: true,
    });
  }
  return { rootKeys: tree.rootIds.map(keyOf), nodes };
}

/** Entity ids of the graph's messages by key (for linking new turns to saved ones). */
export function entityIdsByKey(tree: ChatTree): Map<string, string> {
  const ids = new Map<string, string>();
  for (const message of tree.messages.values()) ids.set(message.clientId ?? message.entityId, message.entityId);
  return ids;
}

/** Adds a node under its parent (or as a new root), as the last sibling. */
export function addNode(thread: Thread, node: Omit<ThreadNode, 'childKeys'>): ThreadNode {
  const added: ThreadNode = { ...node, childKeys: [] };
  thread.nodes.set(node.key, added);
  const siblings = node.parentKey === undefined ? thread.rootKeys : thread.nodes.get(node.parentKey)?.childKeys;
  if (siblings && !siblings.includes(node.key)) siblings.push(node.key);
  return added;
}

/**
 * The graph's tree plus the block's own messages the graph does not have yet (unsaved or in
 * flight), in the order they were made; a local node whose parent is missing is dropped.
 */
export function mergeThread(fromGraph: Thread, local: readonly ThreadNode[]): Thread {
  const merged: Thread = { rootKeys: [...fromGraph.rootKeys], nodes: new Map() };
  for (const node of fromGraph.nodes.values()) merged.nodes.set(node.key, { ...node, childKeys: [...node.childKeys] });
  for (const node of local) {
    const existing = merged.nodes.get(node.key);
    if (existing) {
      // The graph has it: keep the graph's copy unless the block's one is newer (still streaming).
      if (!existing.saved || existing.text.length < node.text.length) existing.text = node.text;
      continue;
    }
    if (node.parentKey !== undefined && !merged.nodes.has(node.parentKey)) continue;
    addNode(merged, { ...node });
  }
  return merged;
}

/**
 * The branch shown: from the chosen root, at each message the chosen child, else the newest one.
 * `choices` maps a node's key (or ROOT) to the key of the child to show.
 */
export function activePath(thread: Thread, choices: ReadonlyMap<string, string>): ThreadNode[] {
  const path: ThreadNode[] = [];
  const pick = (key: string, options: string[]): string | undefined => {
    const chosen = choices.get(key);
    return chosen !== undefined && options.includes(chosen) ? chosen : options.at(-1);
  };
  let nextKey = pick(ROOT, thread.rootKeys);
  const seen = new Set<string>();
  while (nextKey !== undefined && !seen.has(nextKey)) {
    seen.add(nextKey);
    const node = thread.nodes.get(nextKey);
    if (!node) break;
    path.push(node);
    nextKey = pick(node.key, node.childKeys);
  }
  return path;
}

/** A node's position among its siblings, for "‹ 2/3 ›". */
export function siblingsOf(thread: Thread, node: ThreadNode): { index: number; keys: string[] } {
  const keys =
    node.parentKey === undefined ? thread.rootKeys : (thread.nodes.get(node.parentKey)?.childKeys ?? [node.key]);
  return { index: keys.indexOf(node.key), keys };
}

/** A rough token count (about four characters a token in English) where the engine reports none. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The newest messages that fit `budgetTokens`, always keeping the last one; the oldest are left
 * out first, whole turns at a time so a reply never loses its question.
 */
export function fitHistory(
  messages: readonly ChatMessage[],
  budgetTokens: number,
  count: (text: string) => number = estimateTokens,
  /** Leave out at least this many of the oldest (a model refused the last, estimated, fit). */
  minDropped = 0,
): { messages: ChatMessage[]; dropped: number; tokens: number } {
  let tokens = messages.reduce((sum, message) => sum + count(message.content) + 4, 0);
  let start = 0;
  while ((tokens > budgetTokens || start < minDropped) && start < messages.length - 1) {
    // Drop a user message together with the reply that follows it.
    const step =
      messages[start]?.role === 'user' && messages[start + 1]?.role === 'assistant' && start + 1 < messages.length - 1
        ? 2
        : 1;
    for (let index = start; index < start + step; index += 1) tokens -= count(messages[index]?.content ?? '') + 4;
    start += step;
  }
  return { messages: messages.slice(start), dropped: start, tokens };
}
