// Reporting a problem (随手拍 / patrol report) and uploading photos for a case's handling.
import { request } from './client'
import type { PhotosRead, ReceiptRead } from './types'

export const submitReport = (form: FormData) => request<ReceiptRead>('/api/reports', { method: 'POST', form })
export const uploadPhotos = (form: FormData) => request<PhotosRead>('/api/photos', { method: 'POST', form })
