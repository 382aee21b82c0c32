import { callerRulesOf, type CallerRules } from '../core/api/caller';

/** How this function's callers become owners: read once per cold start. */
export const callerRules: CallerRules = callerRulesOf(process.env.OUTPOST_CALLERS);
