/** What a page says when the session's token may look but not act. */

/** The title of a button disabled for a token of scope read. */
export const NEEDS_RUN = 'Your token has scope read: this needs a token of scope run (orchestra tokens create NAME --scope run).';
