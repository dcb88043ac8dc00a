FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd fonts-dejavu-core fonts-liberation \
      fonts-dejavu-extra fonts-urw-base35 \
      libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The pinned runtime dependencies first (scripts/lock.sh writes the lock), so that a change
# of code does not reinstall them; then casescan itself, every package of it, on top.
COPY requirements-runtime.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY api ./api
COPY casework ./casework
COPY identity ./identity
COPY ingest ./ingest
COPY ocr ./ocr
COPY reconcile ./reconcile
COPY extraction ./extraction
COPY storage ./storage
COPY synth ./synth
RUN pip install --no-cache-dir --no-deps .

# The service runs as its own unprivileged user, owning /data alone (casescan's umask
# keeps every file it writes 0600). It binds to 127.0.0.1 unless told otherwise: to
# reach it from the host, say so and publish on the host's loopback only, behind TLS:
#   docker run -e CASESCAN_HOST=0.0.0.0 -p 127.0.0.1:8000:8000 -v casescan:/data IMAGE
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home casescan \
 && mkdir -p /data && chown casescan:casescan /data && chmod 0700 /data
USER casescan
ENV CASESCAN_DATA_DIR=/data OMP_THREAD_LIMIT=1
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["casescan"]
CMD ["serve", "--port", "8000"]
