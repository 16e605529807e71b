// Sent in the user agent of every AWS call so requests from this template are recognisable.
export const PROJECT_NAME = 'sagemaker-gitops';
export const PROJECT_VERSION = '0.1.0';
