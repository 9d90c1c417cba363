// The job name lives apart from the handler so ingestion can enqueue it without importing
// recap generation (which itself imports usage code).
export const MOMENTS_EVALUATE_JOB = "moments.evaluate";
