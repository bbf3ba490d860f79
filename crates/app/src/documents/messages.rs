//! What documents and letters say.

domain::messages! {
    /// What attaching, downloading and removing documents says.
    pub enum DocumentMessage {
        ChooseFile => "Choose a file to attach",
        FileEmpty => "The file is empty: choose the file again",
        FileTooLarge { limit: String } => "The file is larger than {limit}: attach a smaller copy, or split it",
        FileNotTaken { kinds: String } => "This kind of file cannot be attached: attach {kinds}",
        FileNameDisagrees { kind: String } => "The file is a {kind} but its name says otherwise: rename it to end as a {kind} does",
        FileNameEmpty => "Give the file a name",
        FileInfected => "The virus check found something harmful in this file: it was not attached",
        ScanUnavailable => "The file could not be checked for viruses, so it was not attached: try again in a few minutes, or ask your administrator",
        DescriptionTooLong => "Describe the document in 200 characters or fewer",
        DocumentAlreadyRemoved => "This document has already been removed",
        ChooseLetter => "Choose which letter to write",
        LettersUnsafe => "Letters are marked unsafe for this person: contact them another way",
        NoAddress => "No address is recorded for this person: add one on their page first",
        AppointmentDateReal => "Enter the appointment's date as a real date, for example 1 12 2026",
        AppointmentDatePast => "The appointment's date has passed: choose today or a later day",
        AppointmentTimeReal => "Enter the appointment's time, like 14:30",
        GiveAppointmentPlace => "Say where the appointment is",
    }
}

domain::messages! {
    /// The words of the letters written from templates.
    pub enum LetterWords {
        Greeting { name: String } => "Dear {name},",
        AppointmentIntro { service: String } => "Thank you for speaking with {service}. We would like to meet you to talk about the support we can offer.",
        AppointmentWhen { day: String, time: String, place: String } => "Your appointment is on {day} at {time}, at {place}.",
        AppointmentChange => "If this time does not suit you, or you would rather we met somewhere else, please contact us and we will arrange another.",
        ClosureIntro { service: String } => "Your support from {service} has now come to an end. Thank you for letting us work with you.",
        ClosureReturn => "If you need support again, you can contact us at any time; you do not need to be referred again.",
        ClosureFeedback => "We would welcome your views on the support you received, to help us improve it.",
        SignOff => "Yours sincerely,",
        Reference { reference: String } => "Our reference: {reference}",
    }
}
