"""Actor resolution: who is named by a phrase of an article (country, sector, stable id).

    from kronika.actors import ActorRegister, DocumentActors
    reg = ActorRegister.default()
    doc_actors = DocumentActors(reg, published=date(2025, 12, 13), lang="fr", article_id="seed-000")
    doc_actors.observe(spacy_doc)
    doc_actors.resolve("l’émissaire du président américain Donald Trump")  # Actor(USA, GOV)
"""

from kronika.actors.document import DocumentActors, LearnedRole
from kronika.actors.register import ActorRegister

__all__ = ["ActorRegister", "DocumentActors", "LearnedRole"]
