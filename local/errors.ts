/** An AWS error as the twin answers it: the code and message AWS uses, and the HTTP status. */
export class TwinError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** The answer to an operation the twin does not implement: a clear error, never an empty success. */
export function notImplemented(service: string, operation: string): TwinError {
  return new TwinError('NotImplemented', `The offline twin does not implement ${service} ${operation}`, 501, 'Receiver');
}

/** AWS's wording for a member that fails a constraint (one validation error). */
export function validationError(member: string, value: unknown, constraint: string): TwinError {
  return new TwinError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
