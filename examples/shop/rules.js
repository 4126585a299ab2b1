// What the Fernway storefront shows in each slot, by the visitor's lifecycle stage (the `full`
// preset). Every payload is plain text, rendered with renderPayload (never as HTML). The hero's
// payload is an object of text fields; `tone` picks its colour scheme from a fixed list in shop.css.
//
// The story: a new visitor gets a first-purchase offer, onboarding customers get getting-started
// tips, engaged and repeat customers member perks, advocates a referral ask, and customers at risk
// or churned a win-back offer. An open support ticket takes over the help prompt at any stage.

export const STAGE_MODEL = 'full';

const NEW_VISITOR = ['awareness', 'acquisition'];
const MEMBER = ['engagement', 'retention', 'growth'];
const LAPSING = ['at_risk', 'churn'];

export const shopRules = {
  stageModel: STAGE_MODEL,
  slots: {
    hero: {
      default: {
        tone: 'neutral',
        eyebrow: 'New season',
        headline: 'Gear for every trail',
        body: 'Jackets, packs and layers made to be repaired, not replaced.',
        cta: 'Shop the collection',
      },
    },
    offer: { default: 'Free shipping on orders over €50' },
    help: { default: 'Questions? Our team answers within an hour.' },
  },
  rules: [
    // hero
    {
      id: 'hero_first_order', slot: 'hero', stages: NEW_VISITOR,
      payload: {
        tone: 'welcome',
        eyebrow: 'New here?',
        headline: '15% off your first order',
        body: 'Use code WELCOME15 at checkout. Every order ships free and carbon-neutral.',
        cta: 'Start shopping',
      },
    },
    {
      id: 'hero_getting_started', slot: 'hero', stages: ['onboarding'],
      payload: {
        tone: 'onboarding',
        eyebrow: 'Welcome aboard',
        headline: 'Get the most out of your gear',
        body: 'Three quick tips: register it for the 2-year warranty, wash it cold, and reproof it each season.',
        cta: 'Read the starter guide',
      },
    },
    {
      id: 'hero_member', slot: 'hero', stages: MEMBER,
      payload: {
        tone: 'member',
        eyebrow: 'Picked for you',
        headline: 'The autumn layering kit',
        body: 'Members get early access to new colours and free returns for 60 days.',
        cta: 'See your picks',
      },
    },
    {
      id: 'hero_referral', slot: 'hero', stages: ['advocacy'],
      payload: {
        tone: 'advocate',
        eyebrow: 'Thanks for being a fan',
        headline: 'Give 20%, get €20',
        body: 'Friends you refer get 20% off their first order, and you get €20 credit when they buy.',
        cta: 'Copy your referral link',
      },
    },
    {
      id: 'hero_win_back', slot: 'hero', stages: LAPSING,
      payload: {
        tone: 'winback',
        eyebrow: 'We miss you',
        headline: 'Come back for 20% off',
        body: 'Your code COMEBACK20 is good for the next 14 days. Tell us what we could do better.',
        cta: 'Claim 20% off',
      },
    },

    // offer strip: onboarding visitors who have not ordered yet are reminded of their welcome code
    { id: 'offer_first_order', slot: 'offer', stages: NEW_VISITOR, payload: 'WELCOME15: 15% off your first order' },
    {
      id: 'offer_welcome_reminder', slot: 'offer', priority: 10, stages: ['onboarding'], when: { orders: { $lt: 1 } },
      payload: 'Your WELCOME15 code is waiting: 15% off your first order',
    },
    { id: 'offer_warranty', slot: 'offer', stages: ['onboarding'], payload: 'Getting started: register your gear for a free 2-year warranty' },
    { id: 'offer_member', slot: 'offer', stages: MEMBER, payload: 'Members: free returns for 60 days' },
    { id: 'offer_referral', slot: 'offer', stages: ['advocacy'], payload: 'Refer a friend: they get 20% off, you get €20' },
    { id: 'offer_win_back', slot: 'offer', stages: LAPSING, payload: 'COMEBACK20: 20% off, for the next 14 days' },

    // help prompt: an open ticket comes first, whatever the stage
    {
      id: 'help_open_ticket', slot: 'help', priority: 100, when: { openTickets: { $gte: 1 } },
      payload: 'We are on your support ticket and will reply within 4 hours.',
    },
    { id: 'help_fit_advice', slot: 'help', stages: NEW_VISITOR, payload: 'Not sure about sizing? Chat with a fitter, free.' },
    { id: 'help_care_video', slot: 'help', stages: ['onboarding'], payload: 'New gear? Watch the 2-minute care video.' },
    { id: 'help_testers', slot: 'help', stages: ['advocacy'], payload: 'Join our product testers and try new gear first.' },
    { id: 'help_feedback', slot: 'help', stages: LAPSING, payload: 'Something not right? Tell us, a person reads every message.' },
  ],
};
