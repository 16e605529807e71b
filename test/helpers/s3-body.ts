import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';

/** A GetObject body as the SDK returns it, for mocked S3 reads. */
export function jsonBody(value: unknown): GetObjectCommandOutput['Body'] {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}

/** Model Monitor model-quality statistics with the given metric values. */
export function statistics(metrics: Record<string, number>): unknown {
  return {
    version: 0,
    dataset: { item_count: 450 },
    binary_classification_metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v, standard_deviation: 0.01 }])),
  };
}
