// The server's settings a browser needs, and exporting what a screen shows to XLSX.
import { download, get } from './client'
import type { ClientConfigRead, ExportCreate } from './types'

export const getClientConfig = () => get<ClientConfigRead>('/api/client-config')
export const exportXlsx = (body: ExportCreate) => download('/api/exports/xlsx', `${body.file_name}.xlsx`, { json: body })
