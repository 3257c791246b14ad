// The API documentation page (/docs): Swagger UI reading the server's own OpenAPI document. The validator badge is
// off: it would send the document to a third-party service.
window.SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
