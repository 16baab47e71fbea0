import { passwordProblem } from "../../auth/passwords.js";
import { ApiError } from "../../errors.js";

/** Rejects a password breaking the rule (src/auth/passwords.ts), naming the field and the rule. */
export function rejectWeakPassword(password: string, email: string, field = "password"): void {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new ApiError("validation_failed", `The password ${problem}.`, {
      errors: [{ field, message: problem }],
    });
  }
}

export function duplicateEmail(field = "email"): ApiError {
  return new ApiError(
    "conflict",
    "An account with this email already exists (emails are compared without regard to case). Sign in or reset the password.",
    { errors: [{ field, message: "already registered" }] },
  );
}
