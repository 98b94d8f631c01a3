/**
 * Values that migrations reference as :"name" / :'name'. Names that code elsewhere must agree
 * on (the chat trigger and functions that `chats verify` checks) are defined once, in code, and
 * reach the SQL only through here.
 */
export const MIGRATION_VARIABLES: Record<string, string> = {};
