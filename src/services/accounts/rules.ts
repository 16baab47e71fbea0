import { passwordProblem } from "../../auth/passwords.js";
import { ConflictError, type ServiceError, ValidationError } from "../errors.js";

/** Rejects a password breaking the rule (src/auth/passwords.ts), naming the field and the rule. */
export function rejectWeakPassword(password: string, email: string, field = "password"): void {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new ValidationError(`The password ${problem}.`, [{ field, message: problem }]);
  }
}

export function duplicateEmail(field = "email"): ServiceError {
  return new ConflictError(
    "An account with this email already exists (emails are compared without regard to case). Sign in or reset the password.",
    { fields: [{ field, message: "already registered" }] },
  );
}
