import { createTransport } from 'nodemailer';

interface Alert {
  subject: string;
  text: string;
}

const transport = createTransport({
  host: 'smtp.example.org',
  port: 465,
  secure: false,
});

export async function sendAlert(alert: Alert): Promise<void> {
  await transport.sendMail({ from: 'alerts@example.org', to: 'ops@example.org', ...alert });
}
