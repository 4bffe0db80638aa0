/**
 * The ticket number a customer is told: the first eight characters of the ticket's id, in
 * capitals ("1A2B3C4D" for 1a2b3c4d-…), short enough to read out on the phone or type into an
 * email, and a literal prefix of the id an operator sees, so it finds the ticket. An id that is not
 * a UUID (an injected one) is shown as it is.
 */
export function ticketNumber(ticketId: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(ticketId) ? ticketId.slice(0, 8).toUpperCase() : ticketId;
}
