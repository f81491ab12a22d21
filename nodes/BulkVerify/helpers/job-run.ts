import type { IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../../shared/model/errors';
import type { CreateJobInput, CreatedJob, Provider } from '../../shared/model/provider';
import type { PaidWork } from './paid-work';
import { withPaidWork } from './paid-work';

/**
 * The jobs one execution creates from a list split into parts (Create, Second Opinion), and every step
 * after them: a failure once the first job exists names each job the provider accepted (and may be
 * charging for), with the addresses not submitted, instead of advising a run that would pay again.
 */
export class JobRun {
	readonly created: CreatedJob[] = [];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly provider: Provider,
		private readonly parts: string[][],
	) {}

	/** Creates one job per part, in order. */
	async createAll(
		input: (emails: string[], part: number) => CreateJobInput,
	): Promise<CreatedJob[]> {
		await this.step('create', async () => {
			for (const [index, emails] of this.parts.entries())
				this.created.push(await this.provider.createJob(input(emails, index)));
		});
		return this.created;
	}

	/** Runs a step after the jobs were created (waiting, fetching results). */
	async step<T>(stage: PaidWork['stage'], run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw withPaidWork(
				asNodeError(this.ctx.getNode(), error),
				this.work(stage),
				this.provider.info,
			);
		}
	}

	private work(stage: PaidWork['stage']): PaidWork {
		return {
			created: this.created,
			parts: this.parts.length,
			unsubmitted: stage === 'create' ? this.parts.slice(this.created.length).flat() : [],
			stage,
		};
	}
}
