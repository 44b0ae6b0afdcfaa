using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Scalar.AspNetCore;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CreditBank.Grpc;

/// <summary>
/// The REST API described from the contract: an OpenAPI document generated from the .proto files and their HTTP
/// rules (Microsoft.AspNetCore.Grpc.Swagger) at <see cref="DocumentPath"/>, and a browsable reference (Scalar) at
/// <see cref="ReferencePath"/>. Both show the error model: every operation's error answers are a google.rpc.Status
/// with its ErrorInfo (reason, domain) and, for bad input, a BadRequest naming the fields.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/reference";

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CreditBank 学分银行",
                Version = "v1",
                Description = "The REST face of the gRPC contract (shared/Contracts/Protos). Every route needs a bearer token from " +
                    "/connect/token (client_credentials) or the sign-in flow. Errors follow AIP-193: a google.rpc.Status with exactly one " +
                    "ErrorInfo (reason, domain creditbank.cn) and, for bad input, one BadRequest whose fieldViolations name each wrong field. " +
                    "Every reason and what to do about it: docs/errors.md. HTTP statuses: 400 INVALID_ARGUMENT or FAILED_PRECONDITION, " +
                    "401, 403, 404, 409, 413 (REQUEST_TOO_LARGE), 415 (UNSUPPORTED_MEDIA_TYPE), 429 (with Retry-After), 503.",
            });
            swagger.AddSecurityDefinition("bearer", new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" });
            swagger.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } }] = [],
            });
            swagger.DocumentFilter<ErrorModel>();
            swagger.OperationFilter<ErrorModel>();
        });
        return services;
    }

    /// <summary>The document (before authentication: it describes, it serves nothing of anyone's) and the reference.</summary>
    public static WebApplication UseApiDocument(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
        return app;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("CreditBank 学分银行 — API reference").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        return app;
    }

    /// <summary>The error model as schemas, and as every operation's error responses.</summary>
    private sealed class ErrorModel : IDocumentFilter, IOperationFilter
    {
        private static readonly (string Status, string Meaning)[] Answers =
        [
            ("400", "INVALID_ARGUMENT (a BadRequest names every wrong field) or FAILED_PRECONDITION"),
            ("401", "No token, or an expired or invalid one"),
            ("403", "PERMISSION_DENIED: the token lacks the scope, or the resource is another's to change"),
            ("404", "NOT_FOUND, also for what is not yours"),
            ("409", "ALREADY_EXISTS: the request_id or the claim was used before"),
            ("413", "REQUEST_TOO_LARGE: the body is over the route's limit"),
            ("415", "UNSUPPORTED_MEDIA_TYPE: not JSON, or not UTF-8"),
            ("429", "RESOURCE_EXHAUSTED: retry after the Retry-After header (and RetryInfo)"),
            ("503", "UNAVAILABLE: retry after RetryInfo, with the same request_id"),
        ];

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var schemas = document.Components.Schemas;
            schemas["google.rpc.ErrorInfo"] = new OpenApiSchema
            {
                Type = "object",
                Description = "Why (reason, UPPER_SNAKE_CASE, listed in docs/errors.md) and where (domain creditbank.cn).",
                Properties =
                {
                    ["@type"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("type.googleapis.com/google.rpc.ErrorInfo") },
                    ["reason"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("INVALID_CREDITS") },
                    ["domain"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("creditbank.cn") },
                },
            };
            schemas["google.rpc.BadRequest"] = new OpenApiSchema
            {
                Type = "object",
                Description = "Every wrong field of the request, each with its own reason and what to do.",
                Properties =
                {
                    ["@type"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("type.googleapis.com/google.rpc.BadRequest") },
                    ["fieldViolations"] = new OpenApiSchema
                    {
                        Type = "array",
                        Items = new OpenApiSchema
                        {
                            Type = "object",
                            Properties =
                            {
                                ["field"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("course.credits") },
                                ["reason"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("INVALID_CREDITS") },
                                ["description"] = new OpenApiSchema { Type = "string" },
                            },
                        },
                    },
                },
            };
            schemas["google.rpc.Status"] = new OpenApiSchema
            {
                Type = "object",
                Description = "Every error: the gRPC code, a message, one ErrorInfo and, for bad input, one BadRequest (AIP-193).",
                Properties =
                {
                    ["code"] = new OpenApiSchema { Type = "integer", Format = "int32", Example = new OpenApiInteger(3) },
                    ["message"] = new OpenApiSchema { Type = "string" },
                    ["details"] = new OpenApiSchema
                    {
                        Type = "array",
                        Items = new OpenApiSchema
                        {
                            OneOf =
                            [
                                new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = "google.rpc.ErrorInfo" } },
                                new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = "google.rpc.BadRequest" } },
                            ],
                        },
                    },
                },
            };
        }

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var status = new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = "google.rpc.Status" } };
            foreach (var (code, meaning) in Answers)
            {
                operation.Responses.TryAdd(code, new OpenApiResponse
                {
                    Description = meaning,
                    Content = { ["application/json"] = new OpenApiMediaType { Schema = status } },
                });
            }
        }
    }
}
