/** Fields shared by several operations, built for the operations that show them. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { providersWhere, verdictFilterOption } from '../../shared/workflow/descriptions';
import { inputFieldsOptions } from '../../shared/workflow/input-fields';
import { jobIdsProperty } from '../../shared/workflow/job-ids';

export function showFor(
	operations: string[],
	extra: IDisplayOptions['show'] = {},
): IDisplayOptions {
	return { show: { operation: operations, ...extra } };
}

const providersWithFailedRows = providersWhere((info) => info.capabilities.failedRows);

/** Where a list's addresses come from (Create and Estimate read them alike, helpers/candidates.ts). */
export function emailSourceFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Emails From',
			name: 'inputSource',
			type: 'options',
			options: [
				{
					name: 'A Field of the Input Items',
					value: 'items',
					description: 'All input items make one list',
				},
				{
					name: 'A CSV File (Binary)',
					value: 'binary',
					description: 'A CSV file in a binary property, one row per email',
				},
			],
			default: 'items',
			displayOptions: showFor(operations),
		},
		{
			displayName: 'Email Field',
			name: 'emailField',
			type: 'string',
			default: 'email',
			required: true,
			placeholder: 'e.g. email or contact.email',
			description:
				'Name of the field holding the address (dot notation for nested fields), or an expression that returns the address',
			displayOptions: showFor(operations, { inputSource: ['items'] }),
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			description: 'The binary property that holds the CSV file',
			displayOptions: showFor(operations, { inputSource: ['binary'] }),
		},
		{
			displayName: 'Email Column',
			name: 'csvColumn',
			type: 'string',
			default: 'email',
			required: true,
			description: 'Header of the column that holds the addresses (case and spaces do not matter)',
			displayOptions: showFor(operations, { inputSource: ['binary'] }),
		},
	];
}

/** The credit guard's switch (helpers/credit-guard.ts), shown only where the provider has a balance endpoint. */
export function checkCreditsField(operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Check Credits First',
		name: 'checkCredits',
		type: 'boolean',
		default: true,
		description: `Whether to read the account's credit balance first (a free call) and stop before anything is paid for when it does not cover ${description}`,
		displayOptions: showFor(operations, {
			provider: providersWhere((info) => info.capabilities.credits),
		}),
	};
}

export function jobIdsField(operations: string[], description: string): INodeProperties {
	return jobIdsProperty({
		default: '={{ $json.jobId }}',
		description: `${description} Several IDs can be separated by commas or new lines`,
		displayOptions: showFor(operations),
	});
}

/** How results come out: items or one CSV file, simplified or with raw rows, filtered by verdict. */
export function resultFields(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Output',
			name: 'resultsOutput',
			type: 'options',
			options: [
				{
					name: 'One Item per Email',
					value: 'items',
					description: 'Easy to route with IF or Switch nodes',
				},
				{
					name: 'One CSV File',
					value: 'file',
					description: 'Best for big lists: one binary file with every result',
				},
			],
			default: 'items',
			displayOptions,
		},
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: "Whether to return only the normalized fields, without the provider's raw row",
			displayOptions: { show: { ...displayOptions.show, resultsOutput: ['items'] } },
		},
		{
			displayName: 'Result Options',
			name: 'resultOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions,
			options: [
				verdictFilterOption,
				...inputFieldsOptions({ show: { '/resultsOutput': ['items'] } }),
				{
					displayName: 'Include Failed Rows',
					name: 'includeFailedRows',
					type: 'boolean',
					default: false,
					description:
						'Whether to add the rows the provider could not process (e.g. invalid format), with verdict undeliverable or unknown',
					displayOptions: { show: { '/provider': providersWithFailedRows } },
				},
				{
					displayName: 'Put Output File in Field',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					description: 'The binary property to write the CSV file to',
					displayOptions: { show: { '/resultsOutput': ['file'] } },
				},
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string',
					default: '',
					placeholder: 'e.g. verified-leads.csv',
					description:
						'Name of the CSV file. Leave empty to name it after the provider and job IDs.',
					displayOptions: { show: { '/resultsOutput': ['file'] } },
				},
			],
		},
	];
}

/** Waiting inside the node: good for small lists; big ones are better served by the trigger. */
export function waitFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the job is done and return its results. If the maximum wait runs out first, the job status is returned with waitTimedOut set to true.',
			displayOptions: showFor(operations),
		},
		waitOptionsField(showFor(operations, { waitForCompletion: [true] })),
		...resultFields(showFor(operations, { waitForCompletion: [true] })),
	];
}

/** How long and how often a wait polls (Wait for Completion, Second Opinion). */
export function waitOptionsField(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Maximum Wait (Minutes)',
				name: 'maxWaitMinutes',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 120, numberPrecision: 1 },
				default: 5,
				description: 'How long to wait at most before returning the status instead of the results',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 15,
				description:
					"Time between status checks. Without this option the provider's recommended interval is used; an interval shorter than the provider's rate limit allows is lengthened to it.",
			},
		],
	};
}
