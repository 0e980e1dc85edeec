import { describe, expect, it } from 'vitest';
import { describeError, formatWait } from '../../src/errors/error-messages.js';

describe('error descriptions', () => {
  it('a rate limit says how long the service asked to wait instead of "a moment"', () => {
    expect(describeError('RATE_LIMITED', 'slow down', 3_600_000).detail).toContain('wait about 1 hour');
    expect(describeError('RATE_LIMITED', 'slow down', 20_000).detail).toContain('wait 20 seconds');
    expect(describeError('RATE_LIMITED', 'slow down').detail).toContain('Wait a moment');
  });

  it('formats waits as a person reads them', () => {
    expect([1000, 59_000, 120_000, 5_400_000, 7_200_000].map(formatWait)).toEqual([
      '1 second',
      '59 seconds',
      '2 minutes',
      'about 2 hours',
      'about 2 hours',
    ]);
  });
});
