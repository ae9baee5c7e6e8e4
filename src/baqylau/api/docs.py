"""The API reference for people, rendered on the server from the OpenAPI schema.

The site's content security policy allows no inline script and no CDN, so drf-spectacular's Swagger UI
and Redoc (which load from a CDN) are not served; this page shows the same schema as plain HTML.
"""

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[-1], {})
    return schema


def _type(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " & ".join(_type(s, components) for s in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(_type(s, components) for s in schema["oneOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), components)}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v is not None)
    text = f"{kind} ({schema['format']})" if "format" in schema else kind
    return f"{text}, nullable" if schema.get("nullable") else text


def _fields(schema: dict, components: dict) -> list[dict]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type(prop, components),
            "required": name in required,
            "read_only": prop.get("readOnly", False),
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def operations(schema: dict) -> list[dict]:
    components = schema.get("components", {}).get("schemas", {})
    result = []
    for route, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for code, answer in op.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append(
                    {
                        "code": code,
                        "description": answer.get("description", ""),
                        "type": _type(content, components) if content else "",
                    }
                )
            result.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "anchor": op.get("operationId", f"{method}-{route}"),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(p.get("schema", {}), components),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _fields(body, components) if body else [],
                    "body_type": _type(body, components) if body else "",
                    "responses": responses,
                }
            )
    return result


def api_docs(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    models = [
        {"name": name, "fields": _fields(definition, components)}
        for name, definition in sorted(components.items())
        if definition.get("properties")
    ]
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "operations": operations(schema), "models": models, "nav": "api"},
    )
