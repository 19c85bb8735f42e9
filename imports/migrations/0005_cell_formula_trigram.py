"""A trigram index for the cell listing's text search on formulas (PostgreSQL only).

`search=` filters with formula__icontains, which PostgreSQL runs as
UPPER(formula) LIKE UPPER('%text%'): no B-tree helps, so a rare text meant reading
every cell of the workbook. A GIN index of pg_trgm trigrams on the same expression
answers it from the index. SQLite has neither pg_trgm nor GIN: nothing happens
there, and the model state does not change (the index is not in Cell.Meta).
"""

from django.db import migrations

INDEX = "cell_formula_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("imports", "Cell")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (UPPER(formula) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_references_root_causes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
