{{- define "gateway-backup.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gateway-backup.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gateway-backup.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gateway-backup.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gateway-backup.labels" -}}
{{ include "gateway-backup.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The Secret with the database credentials: the given one, or the chart's. */}}
{{- define "gateway-backup.databaseSecret" -}}
{{- .Values.database.existingSecret | default (include "gateway-backup.fullname" .) -}}
{{- end -}}

{{- define "gateway-backup.jwtSecret" -}}
{{- .Values.jwt.existingSecret | default (include "gateway-backup.fullname" .) -}}
{{- end -}}

{{- define "gateway-backup.jwtSecretKey" -}}
{{- if .Values.jwt.existingSecret -}}{{ .Values.jwt.existingSecretKey }}{{- else -}}jwt-secret{{- end -}}
{{- end -}}

{{/* Database URLs from the values: explicit, or built from host, port and name. */}}
{{- define "gateway-backup.jdbcUrl" -}}
{{- .Values.database.jdbcUrl | default (printf "jdbc:postgresql://%s:%v/%s" .Values.database.host .Values.database.port .Values.database.name) -}}
{{- end -}}

{{- define "gateway-backup.reactiveUrl" -}}
{{- .Values.database.reactiveUrl | default (printf "postgresql://%s:%v/%s" .Values.database.host .Values.database.port .Values.database.name) -}}
{{- end -}}

{{- define "gateway-backup.urlsFromSecret" -}}
{{- if and .Values.database.existingSecret .Values.database.existingSecretKeys.jdbcUrl .Values.database.existingSecretKeys.reactiveUrl -}}true{{- end -}}
{{- end -}}
