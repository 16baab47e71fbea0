/** The API's version: shown in the OpenAPI document and on the home page. */
export const API_VERSION = "0.1.0";
