/** The addresses a Create reads from its input: a field of each item, or a column of CSV files. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCsvColumn } from '../../shared/workflow/csv-upload';
import { readField } from '../../shared/workflow/input-fields';
import type { EmailCandidate } from './emailList';

/** The emails of the run with the input item each came from. */
export async function readCandidates(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<EmailCandidate[]> {
	const source = ctx.getNodeParameter('inputSource', 0) as 'items' | 'binary';
	return source === 'binary'
		? await candidatesFromCsv(ctx, items)
		: candidatesFromItems(ctx, items);
}

function candidatesFromItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): EmailCandidate[] {
	const raw = ctx.getNode().parameters.emailField;
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	const field = isExpression ? '' : String(ctx.getNodeParameter('emailField', 0));
	// Split once, not once per item: 100,000 items come through here.
	const fieldPath = field.split('.');
	let found = false;
	const candidates = items.map((item, itemIndex) => {
		const value = isExpression
			? ctx.getNodeParameter('emailField', itemIndex)
			: readField(item.json, field, fieldPath);
		if (value !== undefined) found = true;
		return { value, itemIndex };
	});
	if (!found && items.length > 0) {
		const fields = Object.keys(items[0].json).slice(0, 10).join(', ') || 'no fields';
		throw new NodeOperationError(
			ctx.getNode(),
			isExpression
				? `The Email Field expression ${String(raw).slice(1)} returned no value for any item`
				: `No input item has a field "${field}"`,
			{
				description: `Set Email Field to the name of the field that holds the addresses, or to an expression that returns them (the first item has: ${fields}).`,
			},
		);
	}
	return candidates;
}

async function candidatesFromCsv(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<EmailCandidate[]> {
	const candidates: EmailCandidate[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const wanted = ctx.getNodeParameter('csvColumn', itemIndex) as string;
		ctx.helpers.assertBinaryData(itemIndex, property);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		const column = readCsvColumn(buffer, wanted);
		if (!column.ok)
			throw new NodeOperationError(ctx.getNode(), column.message, {
				itemIndex,
				description: column.description,
			});
		for (const value of column.values)
			candidates.push({ value, itemIndex, uncertainEncoding: column.uncertainEncoding });
	}
	return candidates;
}
