/** The one seed every engine-checked question is exported with (stated on its card). */
export const ANKI_SEED = 1;
