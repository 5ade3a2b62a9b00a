"""Seed the follow-up message templates in English, German, French, Spanish, Italian, Portuguese and Russian.

The texts live here, not in app code, so this migration stays what it was when it first ran. Existing rows
with the same name, language and channel (edited by an admin) are left alone.
"""

from django.db import migrations

FIRST = "First follow-up"
SECOND = "Second follow-up"
CHAT = "Chat nudge"
OFFER = "Limited-time offer"
OFFER_CHAT = "Offer by chat"

# (name, language, channel, subject, body)
TEMPLATES = [
    # --- English ---
    (FIRST, "en", "email", "Following up: {product}",
     "Dear {contact_name},\n\nI am following up on your inquiry about {product}. Do you have any questions about "
     "our offer, or would you like a quotation for a specific quantity?\n\nI am happy to help.\n\nBest regards,\n{rep_name}"),
    (SECOND, "en", "email", "{product}: anything I can help with?",
     "Dear {contact_name},\n\nI have not heard back from you yet, so I wanted to check whether our proposal for "
     "{company} reached the right person. If the timing is not right, just tell me when I should get back to you."
     "\n\nBest regards,\n{rep_name}"),
    (CHAT, "en", "whatsapp", "",
     "Hello {contact_name}, this is {rep_name}. I emailed you about {product} for {company}. Is this a better way to reach you?"),
    (OFFER, "en", "email", "{offer_title}: valid until {offer_valid_until}",
     "Dear {contact_name},\n\nFor your inquiry about {product} we have a limited-time offer: {offer_title}.\n\n"
     "{offer_terms}\n\nThe offer is valid until {offer_valid_until}. Reply to this email and I will reserve it for "
     "{company}.\n\nBest regards,\n{rep_name}"),
    (OFFER_CHAT, "en", "whatsapp", "",
     "Hello {contact_name}, a quick note from {rep_name}: {offer_title} for {product}, valid until {offer_valid_until}. {offer_terms}"),
    # --- German ---
    (FIRST, "de", "email", "Ihre Anfrage: {product}",
     "Guten Tag {contact_name},\n\nich melde mich noch einmal zu Ihrer Anfrage zu {product}. Haben Sie Fragen zu "
     "unserem Angebot, oder dürfen wir Ihnen ein Angebot für eine bestimmte Menge erstellen?\n\nIch helfe Ihnen gern "
     "weiter.\n\nMit freundlichen Grüßen\n{rep_name}"),
    (SECOND, "de", "email", "{product}: Kann ich Ihnen helfen?",
     "Guten Tag {contact_name},\n\nich habe noch keine Rückmeldung von Ihnen erhalten. Ist unser Vorschlag für "
     "{company} bei der richtigen Person angekommen? Falls es gerade nicht passt, sagen Sie mir gern, wann ich mich "
     "wieder melden darf.\n\nMit freundlichen Grüßen\n{rep_name}"),
    (CHAT, "de", "whatsapp", "",
     "Guten Tag {contact_name}, hier ist {rep_name}. Ich habe Ihnen eine E-Mail zu {product} für {company} geschickt. "
     "Erreiche ich Sie hier besser?"),
    (OFFER, "de", "email", "{offer_title}: gültig bis {offer_valid_until}",
     "Guten Tag {contact_name},\n\nzu Ihrer Anfrage zu {product} haben wir ein befristetes Angebot: {offer_title}.\n\n"
     "{offer_terms}\n\nDas Angebot gilt bis {offer_valid_until}. Antworten Sie einfach auf diese E-Mail, dann "
     "reserviere ich es für {company}.\n\nMit freundlichen Grüßen\n{rep_name}"),
    (OFFER_CHAT, "de", "whatsapp", "",
     "Guten Tag {contact_name}, kurz von {rep_name}: {offer_title} für {product}, gültig bis {offer_valid_until}. {offer_terms}"),
    # --- French ---
    (FIRST, "fr", "email", "Suite à votre demande : {product}",
     "Bonjour {contact_name},\n\nJe reviens vers vous au sujet de votre demande concernant {product}. Avez-vous des "
     "questions sur notre offre, ou souhaitez-vous un devis pour une quantité précise ?\n\nJe reste à votre "
     "disposition.\n\nCordialement,\n{rep_name}"),
    (SECOND, "fr", "email", "{product} : puis-je vous aider ?",
     "Bonjour {contact_name},\n\nJe n'ai pas encore eu de retour de votre part : notre proposition pour {company} "
     "est-elle bien parvenue à la bonne personne ? Si le moment n'est pas opportun, dites-moi simplement quand "
     "revenir vers vous.\n\nCordialement,\n{rep_name}"),
    (CHAT, "fr", "whatsapp", "",
     "Bonjour {contact_name}, ici {rep_name}. Je vous ai envoyé un e-mail au sujet de {product} pour {company}. "
     "Est-il plus simple de vous joindre ici ?"),
    (OFFER, "fr", "email", "{offer_title} : valable jusqu'au {offer_valid_until}",
     "Bonjour {contact_name},\n\nPour votre demande concernant {product}, nous avons une offre à durée limitée : "
     "{offer_title}.\n\n{offer_terms}\n\nL'offre est valable jusqu'au {offer_valid_until}. Répondez simplement à cet "
     "e-mail et je la réserve pour {company}.\n\nCordialement,\n{rep_name}"),
    (OFFER_CHAT, "fr", "whatsapp", "",
     "Bonjour {contact_name}, un petit mot de {rep_name} : {offer_title} pour {product}, valable jusqu'au "
     "{offer_valid_until}. {offer_terms}"),
    # --- Spanish ---
    (FIRST, "es", "email", "Seguimiento de su consulta: {product}",
     "Estimado/a {contact_name}:\n\nMe pongo en contacto de nuevo en relación con su consulta sobre {product}. "
     "¿Tiene alguna pregunta sobre nuestra oferta o desea un presupuesto para una cantidad concreta?\n\nQuedo a su "
     "disposición.\n\nUn saludo,\n{rep_name}"),
    (SECOND, "es", "email", "{product}: ¿puedo ayudarle?",
     "Estimado/a {contact_name}:\n\nTodavía no he recibido respuesta y quería confirmar que nuestra propuesta para "
     "{company} ha llegado a la persona adecuada. Si no es buen momento, indíqueme cuándo puedo volver a "
     "contactarle.\n\nUn saludo,\n{rep_name}"),
    (CHAT, "es", "whatsapp", "",
     "Hola {contact_name}, soy {rep_name}. Le envié un correo sobre {product} para {company}. ¿Es más fácil "
     "contactarle por aquí?"),
    (OFFER, "es", "email", "{offer_title}: válida hasta el {offer_valid_until}",
     "Estimado/a {contact_name}:\n\nPara su consulta sobre {product} tenemos una oferta por tiempo limitado: "
     "{offer_title}.\n\n{offer_terms}\n\nLa oferta es válida hasta el {offer_valid_until}. Responda a este correo y "
     "la reservaré para {company}.\n\nUn saludo,\n{rep_name}"),
    (OFFER_CHAT, "es", "whatsapp", "",
     "Hola {contact_name}, un breve mensaje de {rep_name}: {offer_title} para {product}, válida hasta el "
     "{offer_valid_until}. {offer_terms}"),
    # --- Italian ---
    (FIRST, "it", "email", "La Sua richiesta: {product}",
     "Gentile {contact_name},\n\nLe scrivo di nuovo in merito alla Sua richiesta su {product}. Ha domande sulla "
     "nostra offerta o desidera un preventivo per una quantità precisa?\n\nResto a disposizione.\n\nCordiali "
     "saluti,\n{rep_name}"),
    (SECOND, "it", "email", "{product}: posso esserLe utile?",
     "Gentile {contact_name},\n\nnon ho ancora ricevuto un Suo riscontro: la nostra proposta per {company} è "
     "arrivata alla persona giusta? Se il momento non è opportuno, mi indichi pure quando ricontattarLa.\n\n"
     "Cordiali saluti,\n{rep_name}"),
    (CHAT, "it", "whatsapp", "",
     "Buongiorno {contact_name}, sono {rep_name}. Le ho inviato un'e-mail su {product} per {company}. È più comodo "
     "sentirci qui?"),
    (OFFER, "it", "email", "{offer_title}: valida fino al {offer_valid_until}",
     "Gentile {contact_name},\n\nper la Sua richiesta su {product} abbiamo un'offerta a tempo limitato: "
     "{offer_title}.\n\n{offer_terms}\n\nL'offerta è valida fino al {offer_valid_until}. Risponda a questa e-mail e "
     "la riserverò per {company}.\n\nCordiali saluti,\n{rep_name}"),
    (OFFER_CHAT, "it", "whatsapp", "",
     "Buongiorno {contact_name}, un breve messaggio da {rep_name}: {offer_title} per {product}, valida fino al "
     "{offer_valid_until}. {offer_terms}"),
    # --- Portuguese ---
    (FIRST, "pt", "email", "O seu pedido: {product}",
     "Caro(a) {contact_name},\n\nVolto a contactá-lo(a) a propósito do seu pedido sobre {product}. Tem alguma "
     "dúvida sobre a nossa proposta ou deseja um orçamento para uma quantidade específica?\n\nFico ao dispor.\n\n"
     "Com os melhores cumprimentos,\n{rep_name}"),
    (SECOND, "pt", "email", "{product}: posso ajudar?",
     "Caro(a) {contact_name},\n\nAinda não recebi a sua resposta e queria confirmar se a nossa proposta para "
     "{company} chegou à pessoa certa. Se não for o momento certo, diga-me quando posso voltar a contactá-lo(a)."
     "\n\nCom os melhores cumprimentos,\n{rep_name}"),
    (CHAT, "pt", "whatsapp", "",
     "Olá {contact_name}, fala {rep_name}. Enviei-lhe um e-mail sobre {product} para {company}. É mais fácil "
     "falarmos por aqui?"),
    (OFFER, "pt", "email", "{offer_title}: válida até {offer_valid_until}",
     "Caro(a) {contact_name},\n\nPara o seu pedido sobre {product} temos uma oferta por tempo limitado: "
     "{offer_title}.\n\n{offer_terms}\n\nA oferta é válida até {offer_valid_until}. Responda a este e-mail e "
     "reservo-a para {company}.\n\nCom os melhores cumprimentos,\n{rep_name}"),
    (OFFER_CHAT, "pt", "whatsapp", "",
     "Olá {contact_name}, uma nota rápida de {rep_name}: {offer_title} para {product}, válida até "
     "{offer_valid_until}. {offer_terms}"),
    # --- Russian ---
    (FIRST, "ru", "email", "Ваш запрос: {product}",
     "Здравствуйте, {contact_name}!\n\nПишу по поводу вашего запроса ({product}). Остались ли у вас вопросы по "
     "нашему предложению? Мы можем подготовить коммерческое предложение на нужное вам количество.\n\nС "
     "удовольствием помогу.\n\nС уважением,\n{rep_name}"),
    (SECOND, "ru", "email", "{product}: чем могу помочь?",
     "Здравствуйте, {contact_name}!\n\nОтвета от вас пока нет, поэтому уточняю: дошло ли наше предложение для "
     "компании {company} до нужного человека? Если сейчас неудобно, подскажите, когда лучше связаться с вами снова."
     "\n\nС уважением,\n{rep_name}"),
    (CHAT, "ru", "whatsapp", "",
     "Здравствуйте, {contact_name}! Это {rep_name}. Мы отправили вам письмо по запросу ({product}) для компании "
     "{company}. Вам удобнее общаться здесь?"),
    (OFFER, "ru", "email", "{offer_title}: действует до {offer_valid_until}",
     "Здравствуйте, {contact_name}!\n\nПо вашему запросу ({product}) у нас есть ограниченное по времени "
     "предложение: {offer_title}.\n\n{offer_terms}\n\nПредложение действует до {offer_valid_until}. Ответьте на это "
     "письмо, и мы зарезервируем его для компании {company}.\n\nС уважением,\n{rep_name}"),
    (OFFER_CHAT, "ru", "whatsapp", "",
     "Здравствуйте, {contact_name}! Коротко от {rep_name}: {offer_title} ({product}), действует до "
     "{offer_valid_until}. {offer_terms}"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for name, language, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            name=name, language=language, channel=channel, defaults={"subject": subject, "body": body}
        )


def unseed(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for name, language, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.filter(
            name=name, language=language, channel=channel, subject=subject, body=body
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
