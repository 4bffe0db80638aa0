/** Options every downstream call accepts: the pipeline gives each call its own deadline. */
export interface CallOptions {
  /** Aborted when the call's deadline passes or the customer goes away. */
  signal?: AbortSignal;
}
