import { InputError } from '../../nodes/shared/domain/input';

/** Runs `fn`, expects an InputError and returns it for further checks. */
export function inputError(fn: () => unknown): InputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError, but nothing was thrown');
}
