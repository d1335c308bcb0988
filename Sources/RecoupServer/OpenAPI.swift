/// The OpenAPI 3 document the server serves at `GET /openapi.yaml`. Tests check that its paths are the
/// router's routes and that live responses carry the members it marks required.
public enum OpenAPIDocument {
    public static let yaml = #"""
openapi: 3.0.3
info:
  title: Recoup scores and queues API
  version: "1.0.0"
  description: |
    Scores, prioritised work queues, queries, KPIs and rendered reports of one Recoup store.
    Every endpoint except /v1/health, /metrics and /openapi.yaml needs `Authorization: Bearer TOKEN`
    (tokens are made with `recoup token create --name N --scope S`). No token or an unknown or
    revoked one: 401; a token without the scope: 403. Errors are always the JSON `Error` object.
    Money is a decimal number with 2 places. Each response is read from one consistent state: a
    store commit (`store_commit`) and one score set (`model_version`, `as_of`); new commits and
    score files are picked up without a restart.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearerAuth: []
tags:
  - name: scores
  - name: queues
  - name: query
  - name: reports
  - name: operations
paths:
  /v1/health:
    get:
      tags: [operations]
      summary: Liveness and what is being served
      operationId: getHealth
      security: []
      responses:
        "200":
          description: The server is up
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Health" }
  /v1/scores/{account_id}:
    get:
      tags: [scores]
      summary: One account's latest score (scope scores:read)
      operationId: getScore
      parameters:
        - name: account_id
          in: path
          required: true
          schema: { type: string, maxLength: 64 }
      responses:
        "200":
          description: The score
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Score" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "404": { $ref: "#/components/responses/NotFound" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/scores:batch:
    post:
      tags: [scores]
      summary: Scores of up to 10,000 accounts (scope scores:read)
      description: Ids without a score are listed in `not_found`; duplicates are answered once, in first-seen order.
      operationId: getScoresBatch
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/BatchRequest" }
      responses:
        "200":
          description: The scores found, in request order
          content:
            application/json:
              schema: { $ref: "#/components/schemas/BatchResponse" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "413": { $ref: "#/components/responses/TooLarge" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/queues:
    get:
      tags: [queues]
      summary: The queue definitions and their sizes (scope scores:read)
      operationId: listQueues
      responses:
        "200":
          description: The queues of queues.yaml
          content:
            application/json:
              schema: { $ref: "#/components/schemas/QueueList" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /v1/queues/{name}:
    get:
      tags: [queues]
      summary: A page of a queue's accounts in priority order (scope scores:read)
      description: |
        Accounts whose status is cease_contact, bankrupt or closed are never in a queue. Pages of one
        state are stable: the same store_commit and model_version give the same order.
      operationId: getQueue
      parameters:
        - name: name
          in: path
          required: true
          schema: { type: string }
        - name: limit
          in: query
          required: false
          schema: { type: integer, minimum: 1, maximum: 1000, default: 100 }
        - name: offset
          in: query
          required: false
          schema: { type: integer, minimum: 0, default: 0 }
      responses:
        "200":
          description: The page
          content:
            application/json:
              schema: { $ref: "#/components/schemas/QueuePage" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "404": { $ref: "#/components/responses/NotFound" }
  /v1/query:
    post:
      tags: [query]
      summary: Run a query in the query language (scope query:run)
      description: |
        The time limit (default 10 s) and row limit (default 100,000) apply; past them the answer is 422
        with code query_timeout or query_too_many_rows. A query with an error is a 400 with code
        invalid_query and the place (line, column) and a caret picture (rendered).
      operationId: runQuery
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/QueryRequest" }
      responses:
        "200":
          description: The result
          content:
            application/json:
              schema: { $ref: "#/components/schemas/QueryResult" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "413": { $ref: "#/components/responses/TooLarge" }
        "422": { $ref: "#/components/responses/QueryLimit" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/kpi/{name}:
    get:
      tags: [reports]
      summary: One KPI's rows (scope reports:read)
      operationId: getKPI
      parameters:
        - { name: name, in: path, required: true, schema: { type: string }, description: "a KPI of KPIS.md, e.g. recovery_rate" }
        - { name: as_of, in: query, required: false, schema: { type: string, format: date } }
        - { name: from, in: query, required: false, schema: { type: string, format: date } }
        - { name: to, in: query, required: false, schema: { type: string, format: date } }
        - { name: by, in: query, required: false, schema: { type: string }, description: "dimensions, comma separated" }
        - { name: grace, in: query, required: false, schema: { type: integer, minimum: 0 } }
        - { name: month, in: query, required: false, schema: { type: string, pattern: "^[0-9]{4}-[0-9]{2}$" } }
        - { name: summary, in: query, required: false, schema: { type: boolean } }
      responses:
        "200":
          description: The KPI
          content:
            application/json:
              schema: { $ref: "#/components/schemas/KPIResult" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "404": { $ref: "#/components/responses/NotFound" }
        "503": { $ref: "#/components/responses/Unavailable" }
  /v1/reports:
    get:
      tags: [reports]
      summary: The report definitions with their latest runs (scope reports:read)
      operationId: listReports
      responses:
        "200":
          description: The reports
          content:
            application/json:
              schema: { $ref: "#/components/schemas/ReportList" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /v1/reports/{name}/latest:
    get:
      tags: [reports]
      summary: The latest rendered run of a report (scope reports:read)
      description: HTML by default; the report's JSON with `Accept application/json`. 404 when never run.
      operationId: getLatestReport
      parameters:
        - { name: name, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: The rendered report
          content:
            text/html:
              schema: { type: string }
            application/json:
              schema: { $ref: "#/components/schemas/ReportDocument" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "404": { $ref: "#/components/responses/NotFound" }
  /metrics:
    get:
      tags: [operations]
      summary: Prometheus metrics (request counts, latency histograms)
      operationId: getMetrics
      security: []
      responses:
        "200":
          description: Prometheus text format 0.0.4
          content:
            text/plain:
              schema: { type: string }
  /openapi.yaml:
    get:
      tags: [operations]
      summary: This document
      operationId: getOpenAPI
      security: []
      responses:
        "200":
          description: OpenAPI 3 YAML
          content:
            application/yaml:
              schema: { type: string }
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      description: "rcp_<id>_<secret>, from `recoup token create`"
  responses:
    BadRequest:
      description: Malformed JSON, an unknown field, a bad parameter or an invalid query
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    Unauthorized:
      description: No token, or an unknown or revoked one
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    Forbidden:
      description: The token lacks the scope
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    NotFound:
      description: Unknown account, queue, KPI or report, or a report never run
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    TooLarge:
      description: The body is over 1 MiB, or more than 10,000 ids
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    QueryLimit:
      description: The query ran past its time limit or returned more rows than allowed
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    Unavailable:
      description: No scores yet, or the request took longer than the request timeout
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string, example: unknown_account }
            message: { type: string }
            query_code: { type: string, description: "query errors: the language's code, e.g. RQ101" }
            line: { type: integer }
            column: { type: integer }
            help: { type: string }
            rendered: { type: string, description: "the query line with a caret under the place" }
    Health:
      type: object
      required: [status, store_commit, model_version]
      properties:
        status: { type: string, enum: [ok] }
        store_commit: { type: integer }
        model_version: { type: string, nullable: true }
        scores_as_of: { type: string, format: date, nullable: true }
        scores: { type: integer, description: number of scored accounts }
        queues: { type: integer }
    BestSlot:
      type: object
      required: [weekday, hour, p_rpc]
      properties:
        weekday: { type: string, enum: [mon, tue, wed, thu, fri, sat, sun] }
        hour: { type: integer, minimum: 8, maximum: 20, description: debtor local hour }
        p_rpc: { type: number }
    Reason:
      type: object
      required: [feature, effect]
      properties:
        feature: { type: string }
        effect: { type: number, description: contribution to the log-odds }
    Score:
      type: object
      required: [account_id, as_of, model_version, p_pay_30d, expected_value, outstanding, best_slots, reasons]
      properties:
        account_id: { type: string }
        as_of: { type: string, format: date }
        model_version: { type: string }
        p_pay_30d: { type: number, minimum: 0, maximum: 1 }
        expected_value: { type: number, description: money }
        outstanding: { type: number, description: money }
        best_slots:
          type: array
          items: { $ref: "#/components/schemas/BestSlot" }
        reasons:
          type: array
          items: { $ref: "#/components/schemas/Reason" }
      example:
        account_id: A0001
        as_of: "2025-06-30"
        model_version: p2p-3
        p_pay_30d: 0.41
        expected_value: 212.50
        outstanding: 518.29
        best_slots: [{ weekday: tue, hour: 18, p_rpc: 0.33 }]
        reasons: [{ feature: days_since_last_payment, effect: -0.12 }]
    BatchRequest:
      type: object
      additionalProperties: false
      required: [account_ids]
      properties:
        account_ids:
          type: array
          maxItems: 10000
          items: { type: string }
    BatchResponse:
      type: object
      required: [as_of, model_version, store_commit, scores, not_found]
      properties:
        as_of: { type: string, format: date }
        model_version: { type: string }
        store_commit: { type: integer }
        scores:
          type: array
          items: { $ref: "#/components/schemas/Score" }
        not_found:
          type: array
          items: { type: string }
    QueueDefinition:
      type: object
      required: [name, description, filter, order, size]
      properties:
        name: { type: string }
        description: { type: string }
        filter: { type: string, description: a query-language condition over the columns of scores joined with accounts }
        order: { type: string, example: expected_value desc }
        size: { type: integer, description: accounts in the queue now }
    QueueList:
      type: object
      required: [store_commit, model_version, as_of, queues]
      properties:
        store_commit: { type: integer }
        model_version: { type: string, nullable: true }
        as_of: { type: string, format: date, nullable: true }
        queues:
          type: array
          items: { $ref: "#/components/schemas/QueueDefinition" }
    QueuePage:
      type: object
      required: [queue, as_of, model_version, store_commit, total, offset, limit, accounts]
      properties:
        queue: { type: string }
        as_of: { type: string, format: date, nullable: true }
        model_version: { type: string, nullable: true }
        store_commit: { type: integer }
        total: { type: integer }
        offset: { type: integer }
        limit: { type: integer }
        accounts:
          type: array
          description: scores in priority order
          items: { $ref: "#/components/schemas/Score" }
    QueryRequest:
      type: object
      additionalProperties: false
      required: [query]
      properties:
        query: { type: string, maxLength: 65536, example: "from scores | sort expected_value desc | take 10" }
        params:
          type: object
          description: values of `$name` parameters
          additionalProperties:
            oneOf: [{ type: string }, { type: number }, { type: boolean }]
    QueryColumn:
      type: object
      required: [name, type]
      properties:
        name: { type: string }
        type: { type: string, enum: [money, date, timestamp, int, float, string, bool, "null"] }
    QueryResult:
      type: object
      required: [columns, rows]
      properties:
        columns:
          type: array
          items: { $ref: "#/components/schemas/QueryColumn" }
        rows:
          type: array
          items:
            type: array
            items: {}
    KPIResult:
      type: object
      required: [kpi, store_commit, columns, rows]
      properties:
        kpi: { type: string }
        store_commit: { type: integer }
        columns:
          type: array
          items: { type: string }
        rows:
          type: array
          items:
            type: object
            additionalProperties: true
    ReportRun:
      type: object
      required: [as_of, url]
      properties:
        as_of: { type: string, format: date }
        store_commit: { type: integer, nullable: true }
        generated_at: { type: string, nullable: true }
        kpi_version: { type: string, nullable: true }
        url: { type: string }
    ReportSummary:
      type: object
      required: [name, title, latest]
      properties:
        name: { type: string }
        title: { type: string, nullable: true }
        latest:
          allOf: [{ $ref: "#/components/schemas/ReportRun" }]
          nullable: true
    ReportList:
      type: object
      required: [reports]
      properties:
        reports:
          type: array
          items: { $ref: "#/components/schemas/ReportSummary" }
    ReportDocument:
      type: object
      required: [name, as_of, sections]
      properties:
        name: { type: string }
        title: { type: string }
        as_of: { type: string, format: date }
        store_commit: { type: integer }
        kpi_version: { type: string }
        generated_at: { type: string }
        sections:
          type: array
          items: { type: object }
"""#
}
