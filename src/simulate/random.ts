// Plain random simulation: the event with the smallest due time fires next (ties go to the first in
// the system's fixed order). The randomness is in the due times: latencies, timeouts, downtimes.
import type { Candidates, SchedulePolicy } from './policy.ts';

export function earliestDue(candidates: Candidates): number {
  let best = 0;
  for (let i = 1; i < candidates.count; i++) if (candidates.dues[i] < candidates.dues[best]) best = i;
  return best;
}

export const randomPolicy: SchedulePolicy = {
  choose: (candidates) => earliestDue(candidates),
  taken: () => {},
};
