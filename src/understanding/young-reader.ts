// A reader of ten or under: "for my 8 year old", "a 7yo", 「うちの子8歳」「小学生の低学年」「幼稚園児」.
// A request "for a child" covers 12-year-olds too (constraints.ts audience 'child'); a young child
// is asked for more carefully: series written for children first, no dark supernatural action.

const EN_AGE = /\b(\d{1,2})[\s-]*(?:years?|yrs?)[\s-]*old\b|\b(\d{1,2})\s*(?:yo|y\/o)\b|\baged?\s+(\d{1,2})\b|\b(?:he|she|they|son|daughter|kid|child|boy|girl)(?:'s| is| are| turned| turns)\s+(?:only |just |almost |nearly )?(\d{1,2})\b/i;
const JA_AGE = /(\d{1,2})\s*(?:歳|才)/;
const YOUNG_WORDS = /\b(?:toddlers?|preschool(?:ers?)?|kindergarten(?:ers?)?|little (?:kids?|ones?|children|son|daughter|boy|girl)|young (?:kids?|children)|(?:early )?(?:elementary|primary|grade) school(?:ers?)?|first grader|second grader|third grader|fourth grader)\b|小学生|小学校|低学年|中学年|幼稚園|保育園|園児|幼児|未就学|(?:小)?[1-4一二三四]年生|小[1-4一二三四](?!\d)/i;

/** True when the request is for a reader aged ten or under (an age said, or a young school stage). */
export function youngReader(text: string): boolean {
  const t = text.normalize('NFKC');
  const en = EN_AGE.exec(t);
  const ja = JA_AGE.exec(t);
  const age = en ? Number(en[1] ?? en[2] ?? en[3] ?? en[4]) : ja ? Number(ja[1]) : undefined;
  if (age !== undefined) return age >= 1 && age <= 10;
  return YOUNG_WORDS.test(t) && !/高学年/.test(t);
}
