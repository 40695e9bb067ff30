declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<{ message: string }>;
    errorsText?: (separator?: string) => string;
  }
  export default function validate(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): ValidationResult;
}
