import type { EditStep } from '../plan/edit-plan.js';

/** The shape of local-edit's vocabulary entries (the table itself is table.ts). */

/** Amounts read from a clause before it is matched ("by 20%", "10px", "4 levels", "slightly"). */
export interface Modifiers {
  percent?: number;
  pixels?: number;
  levels?: number;
  /** 0.5 for "slightly", "a bit"; 2 for "much", "very". */
  intensity?: number;
  /** Exposure in stops ("by one stop", "+0.5 ev"); signed. */
  stops?: number;
  /** A scale factor ("2x", "4 times"). */
  factor?: number;
}

export type ModifierKind = keyof Modifiers;

/** An EditStep before the parser attaches the clause text and the entry id. */
export type StepBody = EditStep extends infer S ? (S extends EditStep ? Omit<S, 'clause' | 'entry'> : never) : never;

export interface MatchResult {
  step: StepBody;
  /** The modifiers this step took into account; any other modifier in the clause makes it ambiguous. */
  uses: ModifierKind[];
}

export type VocabularyGroup = 'tone' | 'geometry' | 'subject' | 'region' | 'layers' | 'refused';

export interface VocabularyEntry {
  id: string;
  group: VocabularyGroup;
  /** Short name of the instruction, as the docs table shows it. */
  instruction: string;
  /** Prompts it understands; every one is checked by the tests to parse to this entry. */
  examples: string[];
  description: string;
  /** Matches one normalised clause, or returns null. */
  match(clause: string, modifiers: Modifiers): MatchResult | null;
}
