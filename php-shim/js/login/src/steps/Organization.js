/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The organization to sign in with, when the account belongs to several and the profile pins none.
 */
import { createElement, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { ChoiceList, PrimaryButton, StepForm } from './parts';

export default function Organization( { shell } ) {
	const organizations = shell.data.organizations || [];
	const [ organization, setOrganization ] = useState( '' );
	const onSubmit = () => {
		shell.setFieldOk( false );
		if ( '' === organization ) {
			shell.setError( __( 'Choose an organization.', 'workos' ) );
			return;
		}
		shell.run( async () =>
			shell.finish(
				await shell.client.organizationSelect( {
					pendingAuthenticationToken: shell.data.pendingToken,
					organizationId: organization,
					redirectTo: shell.config.redirectTo,
				} )
			)
		);
	};
	return (
		<StepForm onSubmit={ onSubmit }>
			<ChoiceList
				shell={ shell }
				legend={ __( 'Organization', 'workos' ) }
				name="organization"
				idPrefix="wa-org-"
				choices={ organizations.map( ( org ) => ( {
					value: org.id,
					label: org.name,
				} ) ) }
				value={ organization }
				onChange={ setOrganization }
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Continue', 'workos' ) }
			</PrimaryButton>
		</StepForm>
	);
}
