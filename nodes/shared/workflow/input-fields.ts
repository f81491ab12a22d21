/**
 * "Include Input Fields": a result item can carry the fields of the input item it was paired with
 * (all, selected, or none), so a lead's CRM record travels with its verdict instead of being looked
 * up again with $('Leads').item.json. The result's own fields win where names clash.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

export interface InputFields {
	mode: 'none' | 'all' | 'selected';
	/** With `selected`: the field names to copy (dot notation reads nested fields). */
	fields: string[];
}

export const NO_INPUT_FIELDS: InputFields = Object.freeze({ mode: 'none', fields: [] });

export function inputFieldsFrom(options: IDataObject): InputFields {
	const mode = options.includeInputFields as InputFields['mode'] | undefined;
	if (mode !== 'all' && mode !== 'selected') return NO_INPUT_FIELDS;
	const fields = String(options.inputFieldsToInclude ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter((field) => field !== '');
	return { mode, fields };
}

/** The result's fields after the input item's chosen fields. */
export function withInputFields(
	json: IDataObject,
	input: IDataObject | undefined,
	fields: InputFields,
): IDataObject {
	if (fields.mode === 'none' || input === undefined) return json;
	if (fields.mode === 'all') return { ...input, ...json };
	const picked: IDataObject = {};
	for (const field of fields.fields) {
		const value = readField(input, field);
		if (value !== undefined) picked[field] = value as IDataObject[string];
	}
	return { ...picked, ...json };
}

/**
 * A field of an item by name; a name with dots is first tried as one key, then as a path into nested
 * objects (`path`: the name already split, for callers reading one field of many items).
 */
export function readField(json: IDataObject, field: string, path = field.split('.')): unknown {
	if (field in json) return json[field];
	let value: unknown = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** The two options, for an options collection of an operation whose results come out as items. */
export function inputFieldsOptions(
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties[] {
	return [
		{
			displayName: 'Include Input Fields',
			name: 'includeInputFields',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Only the verification fields' },
				{
					name: 'All',
					value: 'all',
					description: 'Every field of the input item the result belongs to',
				},
				{ name: 'Selected', value: 'selected', description: 'The fields named below' },
			],
			default: 'none',
			description:
				'Whether each result also carries the fields of the input item it belongs to (a verification field wins where names clash)',
			displayOptions,
		},
		{
			displayName: 'Input Fields to Include',
			name: 'inputFieldsToInclude',
			type: 'string',
			default: '',
			placeholder: 'e.g. name, company, crmId',
			description:
				'Comma-separated names of the input fields to copy (dot notation for nested fields)',
			displayOptions: { show: { ...displayOptions?.show, includeInputFields: ['selected'] } },
		},
	];
}
