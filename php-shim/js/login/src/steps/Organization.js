/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The organization to sign in with, when the account belongs to several and the profile pins none.
 */
import { createElement, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { PrimaryButton, StepForm } from './parts';

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
			<fieldset
				className="wa-choices"
				aria-invalid={ shell.invalid }
				aria-describedby={ shell.describedBy }
			>
				<legend className="wa-label">
					{ __( 'Organization', 'workos' ) }
				</legend>
				{ organizations.map( ( org, index ) => (
					<label
						className="wa-choice"
						key={ org.id }
						htmlFor={ 'wa-org-' + index }
					>
						<input
							id={ 'wa-org-' + index }
							type="radio"
							name="organization"
							value={ org.id }
							ref={ 0 === index ? shell.firstInput : null }
							checked={ organization === org.id }
							onChange={ () => setOrganization( org.id ) }
						/>{ ' ' }
						{ org.name }
					</label>
				) ) }
			</fieldset>
			<PrimaryButton shell={ shell }>
				{ __( 'Continue', 'workos' ) }
			</PrimaryButton>
		</StepForm>
	);
}
