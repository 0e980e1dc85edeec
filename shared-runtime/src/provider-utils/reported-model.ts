import * as z from 'zod/mini';

/**
 * The `model` an images answer may name (OpenAI's own API names none; gateways such as OpenRouter
 * or LocalAI may): a short non-empty string, or undefined. Anything else is ignored rather than
 * refusing the images, since the images themselves followed the API.
 */
export const reportedModelSchema = z.catch(
  z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  undefined,
);
