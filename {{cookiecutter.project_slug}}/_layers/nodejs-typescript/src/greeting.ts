// The business logic, free of Lambda types so that it is trivial to test and to reuse behind any trigger.

export interface Greeting {
  message: string;
}

/** The caller's mistake, not the function's: handlers answer it as bad input. */
export class InvalidNameError extends TypeError {
  constructor() {
    super("name must be a string");
  }
}

/** Greets NAME; an absent or empty name greets the world. */
export function greet(name?: unknown): Greeting {
  if (name === undefined || name === null || name === "") {
    return { message: "Hello, world!" };
  }
  if (typeof name !== "string") {
    throw new InvalidNameError();
  }
  return { message: `Hello, ${name}!` };
}
