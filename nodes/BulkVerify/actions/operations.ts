import { getCredits } from './account/getCredits.operation';
import { verify } from './email/verify.operation';
import { create } from './job/create.operation';
import { deleteJob } from './job/delete.operation';
import { estimate } from './job/estimate.operation';
import { getMany } from './job/getMany.operation';
import { getResults } from './job/getResults.operation';
import { getStatus } from './job/getStatus.operation';
import { secondOpinion } from './job/secondOpinion.operation';
import { start } from './job/start.operation';
import type { Operation } from './types';

/** Every operation of the node, in the order the UI lists them within a resource. */
export const OPERATIONS: readonly Operation[] = [
	create,
	deleteJob,
	estimate,
	getMany,
	getResults,
	getStatus,
	secondOpinion,
	start,
	verify,
	getCredits,
];
