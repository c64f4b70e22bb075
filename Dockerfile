FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && \
    DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput --settings=hub.settings.local
RUN useradd --create-home hub && mkdir -p /app/var && chown hub /app/var
USER hub
EXPOSE 8000
CMD ["gunicorn", "hub.wsgi", "--bind", "0.0.0.0:8000"]
