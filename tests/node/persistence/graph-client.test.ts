import { createGraphClient, GraphError } from '@ai-blocks/persistence';
import { describe, expect, it } from 'vitest';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const TYPE = 'https://example.test/entity-type/thing/v/1';

describe('graph client', () => {
  it('resolves to the value of a successful call', async () => {
    const fake = new FakeGraphModule();
    const client = createGraphClient(fake.module);
    const entity = await client.createEntity({ entityTypeId: TYPE, properties: { 'https://example.test/p/': 'x' } });
    expect(entity.properties).toEqual({ 'https://example.test/p/': 'x' });
    expect(fake.store.get(entity.metadata.recordId.entityId)).toBeDefined();
  });

  it.each(['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND', 'NOT_IMPLEMENTED', 'INTERNAL_ERROR'])(
    'turns a %s answer into a typed error',
    async (code) => {
      const fake = new FakeGraphModule().fail('updateEntity', { kind: 'error', code, message: 'nope' });
      const client = createGraphClient(fake.module);
      const error = await client
        .updateEntity({ entityId: 'x', entityTypeId: TYPE, properties: {} })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GraphError);
      expect((error as GraphError).code).toBe(code);
      expect((error as GraphError).message).toContain('nope');
    },
  );

  it('times out a call nobody answers', async () => {
    const fake = new FakeGraphModule().fail('queryEntities', { kind: 'hang' });
    const client = createGraphClient(fake.module, { timeoutMs: 30 });
    const started = Date.now();
    const error = await client.queryEntities({ operator: 'AND', filters: [] }).catch((caught: unknown) => caught);
    expect((error as GraphError).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sends no write at all when readonly', async () => {
    const fake = new FakeGraphModule();
    const client = createGraphClient(fake.module, { isReadonly: () => true });
    for (const attempt of [
      () => client.createEntity({ entityTypeId: TYPE, properties: {} }),
      () => client.updateEntity({ entityId: 'x', entityTypeId: TYPE, properties: {} }),
      () => client.deleteEntity('x'),
      () => client.uploadFile({ url: 'https://example.test/x.png' }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'READONLY' });
    }
    expect(fake.calls).toEqual([]);
    // Reads still work.
    await client.queryEntities({ operator: 'AND', filters: [] });
    expect(fake.calls.map((call) => call.method)).toEqual(['queryEntities']);
  });
});
