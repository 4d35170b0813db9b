/** ServiceNow `item_option_new.type` codes for the variable types the items use. */
export const VARIABLE_TYPE_CODES = {
  yes_no: 1,
  multi_line_text: 2,
  select_box: 5,
  single_line_text: 6,
  checkbox: 7,
  date: 9,
  date_time: 10,
} as const;
export type VariableType = keyof typeof VARIABLE_TYPE_CODES;

/** A variable answer after parsing: text, a number, a flag, a list or an epoch-ms instant. */
export type VariableValue = string | number | boolean | readonly string[] | undefined;
