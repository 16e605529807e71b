/** An AWS error as the twin answers it: the code and message AWS uses, and the HTTP status. */
export class TwinError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
    /** Members of the error's shape beyond the message (S3's BucketName, Runtime's OriginalStatusCode). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** The answer to an operation the twin does not implement: a clear error, never an empty success. */
export function notImplemented(service: string, operation: string): TwinError {
  return new TwinError('NotImplemented', `The offline twin does not implement ${service} ${operation}`, 501, 'Receiver');
}
