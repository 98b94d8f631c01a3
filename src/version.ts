/** bookops' version: `--version`, and every report that says which bookops wrote it. */
export const VERSION = '0.1.0';
