/** A file part of a multipart request, kept in memory (each is capped at the per-image byte limit). */
export class UploadedFile {
  constructor(
    readonly bytes: Buffer,
    readonly filename: string | undefined,
  ) {}
}
