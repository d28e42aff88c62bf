/**
 * How people talk to an editor that is a program: greetings, thanks and pleasantries as sentences of their
 * own ("Hey there!", "Thanks so much!", "That would be amazing."), and two wishes sharing one verb ("make the
 * grass and bushes greener"). Sentences of chatter carry no instruction and are dropped; a shared verb is
 * given to each thing.
 */

const CHATTER = new RegExp(
  '^(?:' +
    [
      '(?:hi|hey|hello|hiya|yo|dear [a-z]+|good (?:morning|afternoon|evening))(?: there| again| team| folks| guys)?',
      '(?:thanks|thank you|thx|ty|cheers|many thanks|thanks again)(?: (?:so|very) much| a lot| a ton| in advance| again| heaps)?(?: for (?:your|the) help)?',
      "(?:that|this|it)(?:'d| would) be (?:so |really |very )?(?:great|awesome|amazing|perfect|lovely|wonderful|nice|brilliant|fantastic|helpful|appreciated)",
      "(?:much appreciated|appreciate it|i appreciate it|you're the best|you are the best|you rock|no rush|hope (?:that|this) makes sense|if (?:that's|that is) possible|if possible|if you can|love it|i love (?:this|the) (?:photo|picture|shot|image)|i took (?:this|it) (?:yesterday|today|last week|on holiday|on vacation))",
    ].join('|') +
    ')$',
);

const PREAMBLE =
  /^(?:i was|i'm|i am|we were|we're) (?:hoping|wondering)(?: if| whether)? (?:you|u) (?:could|can|might|would)(?: maybe)? /;

/** A clause without its chatty opening ("i was hoping you could make it darker" is "make it darker"). */
export function stripChatter(clause: string): string {
  return clause.replace(PREAMBLE, '');
}

/** Whether a normalised sentence is only chatter. */
export function isChatter(sentence: string): boolean {
  return CHATTER.test(sentence.trim().replace(/,/g, ''));
}

const DETERMINER = /^(?:the|a|an|his|her|their|its|my|our|your|all|both|this|that|these|those)\b/;

/**
 * "make the grass" + "bushes greener" (split at "and"): the same verb and ending for both things, as two
 * clauses ["make the grass greener", "make the bushes greener"], when `understood` accepts both; else null.
 */
export function shareVerb(first: string, second: string, understood: (clause: string) => boolean): string[] | null {
  const verb = /^[a-z]+/.exec(first)?.[0];
  if (!verb) return null;
  const words = second.split(' ');
  for (let tail = 1; tail <= Math.min(3, words.length - 1); tail++) {
    const ending = words.slice(words.length - tail).join(' ');
    let thing = words.slice(0, words.length - tail).join(' ');
    if (!DETERMINER.test(thing)) thing = `the ${thing}`;
    const a = `${first} ${ending}`;
    const b = `${verb} ${thing} ${ending}`;
    if (understood(a) && understood(b)) return [a, b];
  }
  return null;
}
