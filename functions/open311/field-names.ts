/** Intake's field paths as the Open311 fields they came from, so a refusal names what the client sent. */
const OPEN311_FIELD_OF: Readonly<Record<string, string>> = {
  title: 'description',
  description: 'description',
  'complainant.name': 'first_name',
  'complainant.phone': 'phone',
  'location.address': 'address_string',
  originUnit: 'attribute[community]',
  assignedUnit: 'service_code',
};

export const open311FieldOf = (path: string): string => OPEN311_FIELD_OF[path] ?? path;
